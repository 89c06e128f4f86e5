import threading

from asiakaskunto.process_cache import ProcessLRU


def test_it_forgets_the_least_recently_used_entry_first():
    kept = ProcessLRU(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # a is now the most recent
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)
    assert len(kept) == 2
    kept.clear()
    assert kept.get("a", "gone") == "gone"


def test_threads_can_share_it():
    kept = ProcessLRU(50)
    failures = []

    def work(n):
        try:
            for i in range(2000):
                kept.put((n, i % 80), i)
                value = kept.get((n, (i * 7) % 80))
                assert value is None or value % 80 == (i * 7) % 80
        except Exception as error:  # a thread's failure would otherwise only be printed
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(kept) == 50


def test_get_or_make_makes_a_missing_value_once_and_keeps_it():
    kept = ProcessLRU(4)
    made = []
    assert kept.get_or_make("a", lambda: made.append(1) or "value") == "value"
    assert kept.get_or_make("a", lambda: made.append(1) or "other") == "value"
    assert made == [1]
