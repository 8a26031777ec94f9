"""The cleaning log: one row per site dropped or changed by a cleaning step, and why."""

import pandas as pd

COLUMNS = ["WDPAID", "NAME", "step", "action", "reason"]


def entries(sites, step, action, reason):
    """Log rows for ``sites`` (a frame with WDPAID and NAME); ``reason`` is a string or per-row Series."""
    if len(sites) == 0:
        return empty()
    return pd.DataFrame(
        {
            "WDPAID": sites["WDPAID"].to_numpy(),
            "NAME": sites["NAME"].to_numpy(),
            "step": step,
            "action": action,
            "reason": reason if isinstance(reason, str) else pd.Series(reason).to_numpy(),
        }
    )


def empty():
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def combine(logs):
    logs = [log for log in logs if len(log)]
    return pd.concat(logs, ignore_index=True) if logs else empty()
