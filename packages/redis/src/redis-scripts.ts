/**
 * The store's Lua scripts. Each runs atomically inside Redis, so create-only, version match
 * and conflict are decided there. They touch one declared key (the session hash, or a user's
 * index); the same-slot variants also reach the user's index, whose name they build from
 * `indexPrefix` (empty in split mode, where the store updates the index with its own calls).
 *
 * Session hash fields: p payload, v version, e expiresAt, u userId (absent: nobody),
 * x "indexed until" (split mode only: the score the user's index promises for this member).
 */

/** Shared helper: drops expired members of an index and lets the index expire with its last member. */
const prelude = `
local function fixIndex(idx, now)
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
  local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
  if top[2] then redis.call('PEXPIREAT', idx, top[2]) end
end
`

/**
 * KEYS[1] session hash.
 * ARGV: 1 expected version ('' = create only), 2 now, 3 payload, 4 version, 5 expiresAt,
 * 6 expiry as integer ms, 7 userId, 8 '1' when there is a user, 9 member (the store key),
 * 10 indexPrefix ('' = split mode), 11 indexed-until for split mode ('' = not yet indexed).
 * Returns {0} on conflict, {2} when split mode must index the user first, else {1[, oldUser]}
 * where oldUser is the user the record no longer belongs to.
 */
export const setScript = `${prelude}
local key = KEYS[1]
local now = tonumber(ARGV[2])
local cur = redis.call('HMGET', key, 'v', 'e', 'u', 'x')
local live = cur[1] and cur[2] and tonumber(cur[2]) > now
if ARGV[1] == '' then
  if live then return {0} end
elseif not live or cur[1] ~= ARGV[1] then
  return {0}
end
local oldUser = false
if live then oldUser = cur[3] end
local hasUser = ARGV[8] == '1'
local user = ARGV[7]
local member = ARGV[9]
local idxPrefix = ARGV[10]
local alive = tonumber(ARGV[5]) > now
local x = false
if idxPrefix == '' and hasUser and alive then
  if ARGV[11] ~= '' then
    x = ARGV[11]
  elseif oldUser == user and cur[4] and tonumber(cur[4]) >= tonumber(ARGV[6]) then
    x = cur[4]
  else
    return {2}
  end
end
if not alive then
  redis.call('DEL', key)
else
  -- One HSET over the fields a live record keeps; only an expired leftover is deleted first,
  -- and only fields the new record drops are removed (a DEL per write showed in the bench).
  local drop = {}
  if cur[1] and not live then
    redis.call('DEL', key)
  else
    if cur[3] and not hasUser then drop[#drop + 1] = 'u' end
    if cur[4] and not x then drop[#drop + 1] = 'x' end
  end
  local fields = {'p', ARGV[3], 'v', ARGV[4], 'e', ARGV[5]}
  if hasUser then fields[#fields + 1] = 'u'; fields[#fields + 1] = user end
  if x then fields[#fields + 1] = 'x'; fields[#fields + 1] = x end
  redis.call('HSET', key, unpack(fields))
  if #drop > 0 then redis.call('HDEL', key, unpack(drop)) end
  redis.call('PEXPIREAT', key, ARGV[6])
end
local leftUser = oldUser and (not hasUser or oldUser ~= user)
if idxPrefix ~= '' then
  if leftUser then
    local idx = idxPrefix .. oldUser
    redis.call('ZREM', idx, member)
    fixIndex(idx, now)
  end
  if hasUser then
    local idx = idxPrefix .. user
    if alive then
      redis.call('ZADD', idx, ARGV[6], member)
    else
      redis.call('ZREM', idx, member)
    end
    fixIndex(idx, now)
  end
end
if leftUser then return {1, oldUser} end
return {1}
`

/**
 * KEYS[1] session hash.
 * ARGV: 1 now, 2 expiresAt, 3 expiry as integer ms, 4 member, 5 indexPrefix ('' = split mode),
 * 6 indexed-until for split mode ('' = not yet indexed).
 * Returns {0} when there is no live record, {2, user} when split mode must index first, else {1}.
 */
export const touchScript = `${prelude}
local key = KEYS[1]
local now = tonumber(ARGV[1])
local cur = redis.call('HMGET', key, 'e', 'u', 'x')
if not cur[1] or tonumber(cur[1]) <= now then return {0} end
local user = cur[2]
local idxPrefix = ARGV[5]
local alive = tonumber(ARGV[2]) > now
if not alive then
  redis.call('DEL', key)
else
  if idxPrefix == '' and user then
    if ARGV[6] ~= '' then
      redis.call('HSET', key, 'x', ARGV[6])
    elseif not cur[3] or tonumber(cur[3]) < tonumber(ARGV[3]) then
      return {2, user}
    end
  end
  redis.call('HSET', key, 'e', ARGV[2])
  redis.call('PEXPIREAT', key, ARGV[3])
end
if idxPrefix ~= '' and user then
  local idx = idxPrefix .. user
  if alive then
    redis.call('ZADD', idx, ARGV[3], ARGV[4])
  else
    redis.call('ZREM', idx, ARGV[4])
  end
  fixIndex(idx, now)
end
return {1}
`

/**
 * KEYS[1] session hash.
 * ARGV: 1 now, 2 member, 3 indexPrefix ('' = split mode), 4 '1' to delete only a record of
 * user ARGV[5].
 * Returns {removedLive (0 or 1)[, user]}; user is the record's user, for split mode's index.
 */
export const destroyScript = `${prelude}
local key = KEYS[1]
local now = tonumber(ARGV[1])
local cur = redis.call('HMGET', key, 'e', 'u')
if not cur[1] then return {0} end
local user = cur[2]
if ARGV[4] == '1' and user ~= ARGV[5] then return {0} end
redis.call('DEL', key)
local live = 0
if tonumber(cur[1]) > now then live = 1 end
if user and ARGV[3] ~= '' then
  local idx = ARGV[3] .. user
  redis.call('ZREM', idx, ARGV[2])
  fixIndex(idx, now)
end
if user then return {live, user} end
return {live}
`

/**
 * KEYS[1] a user's index. ARGV: 1 now, 2 op, then for 'add': 3 score, 4 member (the score only
 * ever grows); for 'remove': 3.. members; for 'list': nothing.
 * Drops members whose score has passed; returns the remaining members for 'list', else 1.
 */
export const indexScript = `${prelude}
local idx = KEYS[1]
local op = ARGV[2]
if op == 'add' then
  redis.call('ZADD', idx, 'GT', ARGV[3], ARGV[4])
elseif op == 'remove' then
  for i = 3, #ARGV do redis.call('ZREM', idx, ARGV[i]) end
end
fixIndex(idx, ARGV[1])
if op == 'list' then return redis.call('ZRANGE', idx, 0, -1) end
return 1
`

/**
 * KEYS[1] a lease, `<prefix>lock:<key>`. ARGV: 1 token, 2 lease in whole milliseconds.
 * `SET NX PX`: a running lease keeps the key, an expired one is gone (Redis's own expiry).
 * Returns 1 when taken, 0 when held. A script rather than a plain SET, so the store sends
 * nothing but its scripts and HMGET (see RedisClient).
 */
export const lockScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`

/**
 * KEYS[1] a lease. ARGV: 1 token. Deletes the lease only if it still holds that token, so a
 * holder whose lease expired never ends the lease someone else took over. Returns 1 or 0.
 */
export const unlockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
