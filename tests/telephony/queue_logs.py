"""Hand-made queue_log lines with known answers, shared by the statistics, the queue_log
file and the call report tests."""

from datetime import timedelta

from civicline.telephony.models import QueueLogEntry

HOLDS = [5, 7, 9, 11, 13, 15, 25, 40]  # 6 within 20 s


def log_line(at, call_id, event, *data, queue="novisad", agent="NONE"):
    values = {f"data{i}": str(value) for i, value in enumerate(data, start=1)}
    return QueueLogEntry.objects.create(
        time=at, call_id=call_id, queue=queue, agent=agent, event=event, **values
    )


def ten_calls(queue, at, agents=("PJSIP/101", "PJSIP/102")):
    """10 callers a minute apart (and a quarter second more each, so round trips meet
    sub-second times): 8 answered (6 within 20 s), 2 hang up waiting (after 30 s and
    50 s). Talk times 60..130 s; the last answered call is transferred. The calls are
    `{queue}-{at:%d%H%M}-{i}`."""
    for i in range(10):
        t = at + timedelta(minutes=i, microseconds=250_000 * i)
        call = f"{queue}-{at:%d%H%M}-{i}"
        log_line(t, call, "ENTERQUEUE", "", f"+38164123450{i}", queue=queue)
        if i < 8:
            agent, hold, talk = agents[i % 2], HOLDS[i], 60 + 10 * i
            answered = t + timedelta(seconds=hold)
            log_line(answered, call, "CONNECT", hold, call, 2, queue=queue, agent=agent)
            end = answered + timedelta(seconds=talk)
            if i == 7:
                log_line(end, call, "BLINDTRANSFER", "600", "from-internal", hold, talk, 1,
                         queue=queue, agent=agent)  # fmt: skip
            else:
                log_line(end, call, "COMPLETECALLER", hold, talk, 1, queue=queue, agent=agent)
        else:
            wait = 30 if i == 8 else 50
            log_line(t + timedelta(seconds=wait), call, "ABANDON", 1, 1, wait, queue=queue)
