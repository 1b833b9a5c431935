# Pitfall 1: independent awaits one after another.
import asyncio


async def fetch_profile(user_id: str) -> dict:
    await asyncio.sleep(0.1)  # a network round trip
    return {"id": user_id}


async def load_profiles(user_ids: list[str]) -> list[dict]:
    profiles = []
    for user_id in user_ids:
        profiles.append(await fetch_profile(user_id))  # 50 ids: 5 s instead of 0.1 s
    return profiles


async def load_profiles_fixed(user_ids: list[str]) -> list[dict]:
    return await asyncio.gather(*(fetch_profile(user_id) for user_id in user_ids))
