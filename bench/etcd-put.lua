-- wrk script: PUTs into etcd through its v3 HTTP gateway (POST /v3/kv/put), the etcd counterpart of
-- `redis-benchmark -t set -r KEYSPACE`: every request writes key:NNNNNNNNNNNN (12 digits, drawn at
-- random from KEYSPACE keys, as redis-benchmark expands key:__rand_int__) with the 3-byte value
-- "xxx" (redis-benchmark's default -d 3). The gateway wants key and value base64-encoded in JSON.
--
-- usage: wrk -t T -c 50 -d 10s -s bench/etcd-put.lua http://127.0.0.1:PORT -- KEYSPACE

local keyspace = 100000
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 4
    if b == nil then chars = 2 elseif c == nil then chars = 3 end
    for j = 1, 4 do
      if j <= chars then
        local index = math.floor(n / 2 ^ (6 * (4 - j))) % 64
        out[#out + 1] = alphabet:sub(index + 1, index + 1)
      else
        out[#out + 1] = "="
      end
    end
  end
  return table.concat(out)
end

-- Each wrk thread has its own Lua state: setup numbers them so their random sequences differ.
local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end

local value = base64("xxx")
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  if args[1] then keyspace = tonumber(args[1]) end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

-- Building the body per request (a string.format and a 16-byte base64) costs far less than the
-- request itself; precomputing 100,000 bodies per thread would cost seconds of start-up instead.
function request()
  local key = string.format("key:%012d", math.random(0, keyspace - 1))
  local body = '{"key":"' .. base64(key) .. '","value":"' .. value .. '"}'
  return wrk.format("POST", "/v3/kv/put", headers, body)
end
