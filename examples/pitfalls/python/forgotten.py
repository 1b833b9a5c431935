# Pitfall 3: a coroutine that is never awaited, and a task whose reference is dropped.
import asyncio

background: set[asyncio.Task] = set()


async def audit(event: str) -> None:
    await asyncio.sleep(0)


async def delete_account(account_id: str) -> None:
    audit(f"delete {account_id}")  # never runs: nothing awaits the coroutine
    asyncio.create_task(audit(f"deleted {account_id}"))  # may be collected before it ends


async def delete_account_fixed(account_id: str) -> None:
    await audit(f"delete {account_id}")
    task = asyncio.create_task(audit(f"deleted {account_id}"))
    background.add(task)
    task.add_done_callback(background.discard)
