#!/usr/bin/env bash
# Assembles the corpora the closing notes measure: popular packages with lots of async code,
# installed from npm into a scratch folder outside the repository, one build of each copied
# where asynclint's default ignores (dist/, build/) do not hide it.
#   bash bench/make-corpus.sh /work            -> /work/corpus-src, /work/corpus2-src, /work/corpus-big
set -euo pipefail
root=${1:?usage: bench/make-corpus.sh <scratch folder outside the repository>}
mkdir -p "$root/corpus" "$root/corpus2"
(cd "$root/corpus" && npm init -y >/dev/null && npm install --no-audit --no-fund undici got mongodb pg ioredis puppeteer-core @aws-sdk/client-s3 knex typeorm sequelize bullmq mongoose socket.io @slack/web-api axios >/dev/null)
(cd "$root/corpus2" && npm init -y >/dev/null && for p in release-it pm2 @changesets/cli nodemon semantic-release; do npm install --no-audit --no-fund "$p" >/dev/null; done)

s="$root/corpus-src"; rm -rf "$s"; mkdir -p "$s"; m="$root/corpus/node_modules"
cp -r "$m/undici/lib" "$s/undici"; cp -r "$m/got/dist/source" "$s/got"; cp -r "$m/mongodb/src" "$s/mongodb"; cp -r "$m/pg/lib" "$s/pg"
cp -r "$m/ioredis/built" "$s/ioredis"; cp -r "$m/puppeteer-core/src" "$s/puppeteer-core"; cp -r "$m/@aws-sdk/client-s3/dist-es" "$s/client-s3"
cp -r "$m/knex/lib" "$s/knex"; mkdir -p "$s/typeorm"; (cd "$m/typeorm" && find . -maxdepth 1 -type d ! -name browser ! -name . ! -name node_modules -exec cp -r {} "$s/typeorm/" \;)
cp -r "$m/sequelize/lib" "$s/sequelize"; cp -r "$m/bullmq/dist/esm" "$s/bullmq"; cp -r "$m/mongoose/lib" "$s/mongoose"
cp -r "$m/socket.io/dist" "$s/socket.io"; cp -r "$m/@slack/web-api/dist" "$s/slack-web-api"; cp -r "$m/axios/lib" "$s/axios"

s="$root/corpus2-src"; rm -rf "$s"; mkdir -p "$s/pm2"; m="$root/corpus2/node_modules"
cp -r "$m/release-it/lib" "$s/release-it"; cp -r "$m/pm2/lib" "$s/pm2/lib"; cp -r "$m/nodemon/lib" "$s/nodemon"
cp -r "$m/semantic-release/lib" "$s/semantic-release"; cp "$m/semantic-release/index.js" "$s/semantic-release/"
cp -r "$m/@semantic-release/npm/lib" "$s/semantic-release-npm"; cp -r "$m/@semantic-release/github/lib" "$s/semantic-release-github"
for p in apply-release-plan git read; do cp -r "$m/@changesets/$p/src" "$s/changesets-$p"; done; cp -r "$m/@manypkg/get-packages/src" "$s/manypkg"
cat > "$s/tsconfig.json" <<JSON
{ "compilerOptions": { "allowJs": true, "checkJs": false, "strict": false, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
  "types": ["node"], "typeRoots": ["$(pwd)/node_modules/@types"], "skipLibCheck": true, "noEmit": true, "maxNodeModuleJsDepth": 0 },
  "include": ["**/*.js", "**/*.ts", "**/*.mjs", "**/*.cjs"] }
JSON

b="$root/corpus-big"; rm -rf "$b"; mkdir -p "$b/set3"
cp -r "$root/corpus-src" "$b/set1"; cp -r "$s" "$b/set2"
for p in $(ls "$root/corpus/node_modules" | grep -v '^[@.]'); do [ -d "$root/corpus/node_modules/$p/lib" ] && cp -r "$root/corpus/node_modules/$p/lib" "$b/set3/$p" || true; done
# A .js beside a same-named .d.ts is left out of a TypeScript program; drop the declarations so both tools type every file.
find "$b" \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
sed -e 's#"include"#"exclude": ["**/node_modules/**", "**/dist/**", "**/build/**"], "include"#' "$s/tsconfig.json" > "$b/tsconfig.json"
echo "corpora ready: $root/corpus-src $root/corpus2-src $root/corpus-big"
