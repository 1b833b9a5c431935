// Pitfall 3: a promise created and never awaited, returned or handled.
declare const db: { save(record: object): Promise<void> };

async function audit(event: string): Promise<void> {
  await db.save({ event, at: Date.now() });
}

export async function deleteAccount(id: string): Promise<void> {
  audit(`delete ${id}`); // if this rejects, the process dies with an unhandled rejection
  const pending = audit(`deleted ${id}`); // stored, then forgotten
  console.log('deleted', id, typeof pending);
}
