import express from 'express';
import { readFileSync } from 'node:fs';
import { handleOrders } from './routes/orders.js';
import { registerHealth } from './routes/health.js';

// Read once at startup: blocking here delays nothing but the start.
const config = JSON.parse(readFileSync(new URL('../config.json', import.meta.url), 'utf8'));

export const app = express();
registerHealth(app);
app.get('/orders', (request, response) => handleOrders(request, response, config));
app.listen(config.port);
