import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelOrder } from '../src/routes/orders.js';

test('cancelling an unknown order rejects', async () => {
  assert.rejects(cancelOrder('missing'));
});

test('cancelling twice is harmless', async () => {
  for (const attempt of [1, 2]) await cancelOrder(`order-${attempt}`);
});
