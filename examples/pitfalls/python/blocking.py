# Pitfall 2: blocking the event loop from a FastAPI endpoint.
import asyncio
import time

import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/report")
async def report() -> dict:
    time.sleep(1)  # every other request waits too
    response = requests.get("https://example.com/data", timeout=5)
    return response.json()


@app.get("/report-fixed")
async def report_fixed() -> dict:
    await asyncio.sleep(1)
    response = await asyncio.to_thread(requests.get, "https://example.com/data", timeout=5)
    return response.json()
