// Pitfall 2: blocking the event loop from async code.
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

function loadTemplate(name) {
  return readFileSync(`templates/${name}.html`, 'utf8');
}

export async function handleRequest(request) {
  const template = loadTemplate(request.page); // blocks every other request while it reads
  const revision = execSync('git rev-parse HEAD').toString().trim();
  return template.replace('{{revision}}', revision);
}
