"""bot/devtools/burst_profile.py: py-spy's raw stacks summed by phase, first matching phase wins."""

from __future__ import annotations

from bot.devtools.burst_profile import by_phase

WORKER, TXN = "_worker (concurrent/futures/thread.py:83)", "Database._call (storage/database.py:127)"
RAW = "\n".join([
    f"{WORKER};{TXN};step_and_queue (bot/chat/service.py:50);handle_reply (handlers/replies.py:40);"
    "record_status (storage/reports.py:166) 7",
    f"{WORKER};{TXN};step_and_queue (bot/chat/service.py:51);queue_answers (storage/answers.py:30) 2",
    "AnswerLane._run_chat (scheduler/answers.py:90);Dispatcher._process (scheduler/dispatcher.py:230);"
    "TelegramNotifier.send (bot/adapters/telegram_notifier.py:40) 3",
    f"{WORKER};{TXN};claimers (storage/outbox.py:10) 1",
    " 4",  # a stack py-spy could not read
])


def test_samples_go_to_the_first_phase_their_stack_passes_through() -> None:
    assert by_phase(RAW) == {
        "reply step: reading, storing (handle_reply)": 7, "reply step: queueing the answer": 2,
        "answer: sendMessage": 3, "database: other transactions": 1, "other (stacks py-spy cut short)": 4}
