import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

// One-shot: blocking calls are fine here, nothing else is waiting.
const orders = JSON.parse(readFileSync('seed/orders.json', 'utf8'));
mkdirSync('data/orders', { recursive: true });
for (const order of orders) writeFileSync(`data/orders/${order.id}.json`, JSON.stringify(order));
