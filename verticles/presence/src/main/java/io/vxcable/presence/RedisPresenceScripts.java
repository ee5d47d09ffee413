package io.vxcable.presence;

import io.vxcable.backends.RedisScript;
/**
 * The Lua scripts of {@link RedisPresence}. A stream's keys, in KEYS order where a script takes
 * them all: {@code sessions} (hash sid → id), {@code deadlines} (sorted set sid by deadline),
 * {@code ids} (sorted set id by first-join rank), {@code info} (hash id → info), {@code counts}
 * (hash id → number of its sessions). {@code due} is the sorted set of streams scored by at most
 * their earliest deadline; {@code links} a session's set of streams. Deadlines and "now" are the
 * calling node's clock (milliseconds): scripts never read Redis's clock.
 */
final class RedisPresenceScripts {

  private RedisPresenceScripts() {}

  /**
   * KEYS: the stream's five keys, due, the session's links. ARGV: stream, sid, id, info, deadline,
   * the links' real-time expiry ms. Returns NEW, KNOWN or MISMATCH.
   */
  static final RedisScript JOIN = new RedisScript("""
      local held = redis.call('HGET', KEYS[1], ARGV[2])
      if held and held ~= ARGV[3] then
        return 'MISMATCH'
      end
      local outcome = 'KNOWN'
      if not held then
        redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
        if redis.call('HINCRBY', KEYS[5], ARGV[3], 1) == 1 then
          local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
          local rank = 1
          if last[2] then
            rank = tonumber(last[2]) + 1
          end
          redis.call('ZADD', KEYS[3], string.format('%.0f', rank), ARGV[3])
          outcome = 'NEW'
        end
      end
      redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
      redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
      redis.call('ZADD', KEYS[6], 'LT', ARGV[5], ARGV[1])
      redis.call('SADD', KEYS[7], ARGV[1])
      redis.call('PEXPIRE', KEYS[7], ARGV[6])
      return outcome
      """);

  /** KEYS: the stream's five keys, due, the session's links. ARGV: stream, sid. Returns the id that left, or nil. */
  static final RedisScript LEAVE = new RedisScript("""
      redis.call('SREM', KEYS[7], ARGV[1])
      local id = redis.call('HGET', KEYS[1], ARGV[2])
      if not id then
        return false
      end
      redis.call('HDEL', KEYS[1], ARGV[2])
      redis.call('ZREM', KEYS[2], ARGV[2])
      if redis.call('HINCRBY', KEYS[5], id, -1) > 0 then
        return false
      end
      redis.call('HDEL', KEYS[5], id)
      redis.call('HDEL', KEYS[4], id)
      redis.call('ZREM', KEYS[3], id)
      if redis.call('EXISTS', KEYS[2]) == 0 then
        redis.call('ZREM', KEYS[6], ARGV[1])
      end
      return id
      """);

  /** KEYS: the stream's ids and info. Returns id, info, id, info... in first-join order. */
  static final RedisScript INFO = new RedisScript("""
      local out = {}
      for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        out[#out + 1] = id
        out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
      end
      return out
      """);

  /**
   * Moves the deadline of sessions still in a stream (an expired one is not revived). KEYS: due,
   * then each stream's deadlines. ARGV: the deadline, then per stream (KEYS order) the stream, the
   * number of sessions and the sessions.
   */
  static final RedisScript TOUCH = new RedisScript("""
      local a = 2
      for k = 2, #KEYS do
        local stream = ARGV[a]
        local n = tonumber(ARGV[a + 1])
        a = a + 2
        for i = 1, n do
          redis.call('ZADD', KEYS[k], 'XX', ARGV[1], ARGV[a])
          a = a + 1
        end
        if redis.call('EXISTS', KEYS[k]) == 1 then
          redis.call('ZADD', KEYS[1], 'LT', ARGV[1], stream)
        end
      end
      return 0
      """);

  /**
   * Removes the sessions whose deadline is before now and sets each stream's exact earliest
   * deadline in due (or drops the stream from it). KEYS: due, then each stream's five keys. ARGV:
   * now, then the streams (KEYS order). Returns per stream with leaves: the stream, then the list
   * of ids that left.
   */
  static final RedisScript EXPIRE = new RedisScript("""
      local out = {}
      local s = 2
      for k = 2, #KEYS, 5 do
        local stream = ARGV[s]
        s = s + 1
        local sessions, deadlines, ids, info, counts = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
        local left = {}
        for _, sid in ipairs(redis.call('ZRANGEBYSCORE', deadlines, '-inf', '(' .. ARGV[1])) do
          redis.call('ZREM', deadlines, sid)
          local id = redis.call('HGET', sessions, sid)
          if id then
            redis.call('HDEL', sessions, sid)
            if redis.call('HINCRBY', counts, id, -1) <= 0 then
              redis.call('HDEL', counts, id)
              redis.call('HDEL', info, id)
              redis.call('ZREM', ids, id)
              left[#left + 1] = id
            end
          end
        end
        local first = redis.call('ZRANGE', deadlines, 0, 0, 'WITHSCORES')
        if first[2] then
          redis.call('ZADD', KEYS[1], first[2], stream)
        else
          redis.call('ZREM', KEYS[1], stream)
        end
        if #left > 0 then
          out[#out + 1] = stream
          out[#out + 1] = left
        end
      end
      return out
      """);
}
