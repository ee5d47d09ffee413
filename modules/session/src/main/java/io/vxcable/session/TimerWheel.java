package io.vxcable.session;

/**
 * A hashed timing wheel owned by one event loop: one periodic tick serves every session's pings,
 * pong deadlines and write-stall checks, so there is no timer per connection. Entries are intrusive
 * (the session is the list node), so scheduling allocates nothing. Not thread-safe by design.
 */
final class TimerWheel {

  /** A schedulable object; at most one pending deadline each. */
  abstract static class Entry {
    private Entry next;
    private Entry prev;
    private long due;
    private int slot = -1;

    /** Called on the wheel's thread once {@code now >= due}; the entry is already unscheduled. */
    abstract void onTimer(long now);

    final boolean scheduled() {
      return slot >= 0;
    }

    final long due() {
      return due;
    }
  }

  private final long tickMs;
  private final Entry[] slots;
  private final java.util.ArrayList<Entry> fired = new java.util.ArrayList<>();
  private long lastTick;
  private int size;

  TimerWheel(long tickMs, int slotCount, long nowMs) {
    this.tickMs = tickMs;
    this.slots = new Entry[slotCount];
    this.lastTick = nowMs / tickMs;
  }

  /** Schedules (or moves) {@code e} to fire at {@code dueMs}; past deadlines fire on the next tick. */
  void schedule(Entry e, long dueMs) {
    if (e.slot >= 0) {
      unlink(e);
    }
    // The first tick at or after the deadline, never one already processed.
    long tick = Math.max((dueMs + tickMs - 1) / tickMs, lastTick + 1);
    int slot = (int) (tick % slots.length);
    e.due = dueMs;
    e.slot = slot;
    e.prev = null;
    e.next = slots[slot];
    if (e.next != null) {
      e.next.prev = e;
    }
    slots[slot] = e;
    size++;
  }

  void cancel(Entry e) {
    if (e.slot >= 0) {
      unlink(e);
    }
  }

  int size() {
    return size;
  }

  /** Fires every entry due at or before {@code nowMs}. */
  void advance(long nowMs) {
    long target = nowMs / tickMs;
    // Never walk more than one full turn: every slot is visited once then.
    long from = Math.max(lastTick + 1, target - slots.length + 1);
    for (long t = from; t <= target; t++) {
      fireSlot((int) (t % slots.length), nowMs);
    }
    if (target > lastTick) {
      lastTick = target;
    }
  }

  private void fireSlot(int slot, long nowMs) {
    // Unlink first, fire after: a callback may reschedule or cancel any entry, this one included.
    Entry e = slots[slot];
    while (e != null) {
      Entry next = e.next;
      if (e.due <= nowMs) {
        unlink(e);
        fired.add(e);
      }
      e = next;
    }
    for (int i = 0; i < fired.size(); i++) {
      Entry f = fired.get(i);
      if (f.slot < 0) {
        f.onTimer(nowMs);
      }
    }
    fired.clear();
  }

  private void unlink(Entry e) {
    if (e.prev != null) {
      e.prev.next = e.next;
    } else {
      slots[e.slot] = e.next;
    }
    if (e.next != null) {
      e.next.prev = e.prev;
    }
    e.next = null;
    e.prev = null;
    e.slot = -1;
    size--;
  }
}
