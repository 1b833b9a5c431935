# Pitfall 4: coroutines where a sync answer is expected.
import asyncio


async def is_active(user: str) -> bool:
    await asyncio.sleep(0)
    return user != "ghost"


async def active_users(users: list[str]) -> list[str]:
    if is_active(users[0]):  # a coroutine is always true
        print("first user is active")
    return list(filter(is_active, users))  # every user passes


async def active_users_fixed(users: list[str]) -> list[str]:
    answers = await asyncio.gather(*(is_active(user) for user in users))
    return [user for user, active in zip(users, answers) if active]
