// Pitfall 1: independent awaits one after another, so the wall time is the sum, not the maximum.
interface User {
  id: string;
  teamId: string;
}

declare function fetchUser(id: string): Promise<User>;
declare function fetchAvatar(id: string): Promise<Uint8Array>;
declare function fetchPage(cursor?: string): Promise<{ users: User[]; next?: string }>;

export async function loadTeam(ids: string[]) {
  const users: User[] = [];
  for (const id of ids) {
    users.push(await fetchUser(id)); // 50 ids x 100 ms = 5 s; Promise.all takes 100 ms
  }
  return users;
}

export async function loadAvatars(users: User[]) {
  const avatars = new Map<string, Uint8Array>();
  for (const user of users) {
    avatars.set(user.id, await fetchAvatar(user.id));
  }
  return avatars;
}

// Not reported: each page needs the cursor the previous page returned.
export async function allUsers() {
  const users: User[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    users.push(...page.users);
    cursor = page.next;
  } while (cursor);
  return users;
}
