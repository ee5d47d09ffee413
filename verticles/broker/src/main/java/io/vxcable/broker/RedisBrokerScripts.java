package io.vxcable.broker;

import io.vxcable.backends.RedisScript;
/**
 * The Lua scripts of {@link RedisBroker}. Times are the calling node's clock (milliseconds),
 * passed in: scripts never read Redis's clock. Numbers written back are formatted with
 * {@code %.0f}, as Lua would otherwise write large ones in exponent notation.
 */
final class RedisBrokerScripts {

  private RedisBrokerScripts() {}

  /**
   * Appends one call's messages. KEYS: the epoch, then per stream its position hash and history
   * stream. ARGV: a new epoch (used when the epoch key is missing: Redis lost its data), now,
   * history_limit, history_ttl ms, a stream's lifetime ms (10 × history_ttl), the real-time expiry
   * of the stream's keys ms, the key prefix of tagged batches, how long they are remembered ms,
   * then per stream (KEYS order) the number of messages and per message its batch id ('' for
   * none), its index in that batch and the message. A message whose batch id and index were
   * stored before (the first attempt's answer was lost) is not stored again: it gets the offset
   * it got then. Returns the epoch, then each message's offset, streams in KEYS order.
   */
  static final RedisScript APPEND = new RedisScript("""
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then
        epoch = ARGV[1]
        redis.call('SET', KEYS[1], epoch)
      end
      local now = tonumber(ARGV[2])
      local limit = tonumber(ARGV[3])
      local cutoff = now - tonumber(ARGV[4])
      local lifetime = tonumber(ARGV[5])
      local out = {epoch}
      local timed = {}
      local a = 9
      for k = 2, #KEYS, 2 do
        local position, history = KEYS[k], KEYS[k + 1]
        local n = tonumber(ARGV[a])
        a = a + 1
        local state = redis.call('HMGET', position, 'offset', 'at')
        local offset = tonumber(state[1]) or 0
        if offset == 0 or now - (tonumber(state[2]) or 0) > lifetime then
          offset = 0
          redis.call('DEL', history)
        end
        for i = 1, n do
          local batch, index = ARGV[a], ARGV[a + 1]
          local known = batch ~= '' and redis.call('HGET', ARGV[7] .. batch, index)
          if known then
            out[#out + 1] = tonumber(known)
          else
            offset = offset + 1
            local id = string.format('%.0f', offset)
            if limit > 0 then
              redis.call('XADD', history, 'MAXLEN', limit, id .. '-0', 't', ARGV[2], 'm', ARGV[a + 2])
            end
            if batch ~= '' then
              redis.call('HSET', ARGV[7] .. batch, index, id)
              if not timed[batch] then
                timed[batch] = true
                redis.call('PEXPIRE', ARGV[7] .. batch, ARGV[8])
              end
            end
            out[#out + 1] = offset
          end
          a = a + 3
        end
        redis.call('HSET', position, 'offset', string.format('%.0f', offset), 'at', ARGV[2])
        redis.call('PEXPIRE', position, ARGV[6])
        if limit > 0 then
          redis.call('PEXPIRE', history, ARGV[6])
          while true do
            local head = redis.call('XRANGE', history, '-', '+', 'COUNT', 1)[1]
            if not head or tonumber(head[2][2]) >= cutoff then
              break
            end
            redis.call('XDEL', history, head[1])
          end
        end
      end
      return out
      """);

  /**
   * Reads a stream at one instant. KEYS: the epoch, the stream's position hash, its history
   * stream. ARGV: the first entry id to return ({@code -} for all, {@code (<offset>-0} for those
   * after an offset). Returns the epoch ('' if none), the last offset ('' for an unknown stream),
   * the last append's time, then id, time and message of each entry.
   */
  static final RedisScript READ = new RedisScript("""
      local state = redis.call('HMGET', KEYS[2], 'offset', 'at')
      local out = {redis.call('GET', KEYS[1]) or '', state[1] or '', state[2] or '0'}
      for _, entry in ipairs(redis.call('XRANGE', KEYS[3], ARGV[1], '+')) do
        local fields = {}
        for i = 1, #entry[2], 2 do
          fields[entry[2][i]] = entry[2][i + 1]
        end
        out[#out + 1] = entry[1]
        out[#out + 1] = fields['t']
        out[#out + 1] = fields['m']
      end
      return out
      """);
}
