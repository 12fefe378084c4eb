-- wrk script: each request asks for the next id of a list, so a run touches many people (their
-- plans, cache lines and audit rows) rather than one. Arguments after `--`: ids file, path
-- prefix, path suffix. Each thread starts at its own place in the list.
local ids, prefix, suffix, i = {}, "/", "", 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  prefix = args[2] or "/"
  suffix = args[3] or ""
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(#ids)
end

function request()
  i = i % #ids + 1
  return wrk.format("GET", prefix .. ids[i] .. suffix)
end
