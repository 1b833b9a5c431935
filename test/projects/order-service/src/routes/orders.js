import { loadOrder, saveOrder, listOrderIds } from '../lib/store.js';
import { notifyCustomer } from '../lib/notify.js';
import { priceOf } from '../lib/pricing.js';

export async function handleOrders(request, response, config) {
  const ids = await listOrderIds(config.shop);
  const orders = [];
  for (const id of ids) {
    orders.push(await loadOrder(id));
  }

  const totals = [];
  for (const order of orders) {
    // eslint-disable-next-line no-await-in-loop -- the pricing API allows one request at a time
    totals.push(await priceOf(order));
  }

  const receipts = [];
  for (const order of orders) {
    // eslint-disable-next-line asynclint/await-in-loop -- receipts are numbered in order
    receipts.push(await saveOrder({ ...order, receipt: true }));
  }

  orders.forEach(async (order) => {
    await notifyCustomer(order.customer, 'Your order is on its way');
  });

  response.end(JSON.stringify({ orders, totals, receipts }));
}

export async function cancelOrder(id) {
  const order = await loadOrder(id);
  if (saveOrder({ ...order, cancelled: true })) {
    notifyCustomer(order.customer, 'Your order was cancelled');
  }
  return order;
}
