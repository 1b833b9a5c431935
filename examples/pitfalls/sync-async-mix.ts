// Pitfall 4: async functions and promises handed to code that expects plain values.
declare function isAdmin(user: string): Promise<boolean>;
declare function notify(user: string): Promise<void>;

export async function notifyAdmins(users: string[]) {
  const admins = users.filter(async (user) => isAdmin(user)); // a promise is always truthy: keeps everyone
  admins.forEach(async (user) => {
    await notify(user); // forEach does not wait; failures are unhandled
  });
  if (isAdmin(users[0]!)) {
    // always true: the condition is a promise
  }
  return new Promise(async (resolve) => {
    resolve(await notify('root')); // an error here never rejects the outer promise
  });
}
