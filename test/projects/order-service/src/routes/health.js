import { readFileSync, statSync } from 'node:fs';

export function registerHealth(app) {
  app.get('/health', async (request, response) => {
    // eslint-disable-next-line n/no-sync -- a few bytes, and only the load balancer asks
    const version = readFileSync('VERSION', 'utf8').trim();
    const started = statSync('server.pid').mtimeMs;
    response.json({ version, uptime: Date.now() - started });
  });
}
