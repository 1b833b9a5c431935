import { readFile, writeFile } from 'node:fs/promises';

const ordersFolder = new URL('../../data/orders/', import.meta.url);

export async function listOrderIds(shop) {
  const index = JSON.parse(await readFile(new URL(`${shop}.json`, ordersFolder), 'utf8'));
  return index.ids;
}

export async function loadOrder(id) {
  try {
    return JSON.parse(await readFile(new URL(`${id}.json`, ordersFolder), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

export async function saveOrder(order) {
  try {
    return writeFile(new URL(`${order.id}.json`, ordersFolder), JSON.stringify(order));
  } catch (error) {
    throw new Error(`cannot save order ${order.id}`, { cause: error });
  }
}

export async function loadCustomerAndOrders(customerId, orderId) {
  const customer = await loadOrder(`customer-${customerId}`);
  const order = await loadOrder(orderId);
  return { customer, order };
}
