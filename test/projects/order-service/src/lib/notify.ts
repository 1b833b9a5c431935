interface Customer {
  email: string;
}

async function deliver(to: string, text: string): Promise<void> {
  const response = await fetch('https://mail.example.com/send', { method: 'POST', body: JSON.stringify({ to, text }) });
  if (!response.ok) throw new Error(`mail to ${to} failed: ${response.status}`);
}

export async function notifyCustomer(customer: Customer, text: string): Promise<void> {
  await deliver(customer.email, text);
}

export function notifyLater(customer: Customer, text: string): Promise<void> {
  return new Promise(async (resolve) => {
    await new Promise((wake) => setTimeout(wake, 1000));
    await deliver(customer.email, text);
    resolve();
  });
}

export function notifyAll(customers: Customer[], text: string): void {
  for (const customer of customers) {
    // asynclint-disable-next-line floating-promise -- delivery failures are logged by the mail service
    deliver(customer.email, text);
  }
  deliver('audit@example.com', `sent to ${customers.length}`);
}
