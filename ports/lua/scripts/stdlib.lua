-- stdlib.lua - what Lua's standard libraries do, printed line by line. The same script
-- runs under the host's Lua and in the VMOS image (tests/servers/lua-tests.sh): the two
-- outputs must be identical, so nothing here prints an address, a time of day or a
-- random number.

local function show(label, ...)
  local parts = {}
  for i = 1, select("#", ...) do
    parts[#parts + 1] = tostring((select(i, ...)))
  end
  print(label .. ": " .. table.concat(parts, " "))
end

-- numbers: integers, floats, conversions, the formatting of both
show("integers", 7 // 2, -7 // 2, 7 % -3, 2^53, math.maxinteger, math.mininteger)
show("wrap", math.maxinteger + 1 == math.mininteger, math.type(1), math.type(1.0), math.type("1"))
show("floats", 1 / 3, -0.0, 1e300 * 1e10, -(1e300 * 1e10), 0.1 + 0.2, 100 * 1.1)
show("nan", tostring(0 / 0) == tostring(0 / 0), (0 / 0) ~= (0 / 0))
show("tonumber", tonumber("0x1p4"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36),
  tonumber("10", 2), tonumber("12a"), tonumber(""))
show("math", math.floor(-3.5), math.ceil(-3.5), math.fmod(-7, 3), math.abs(math.mininteger),
  math.sqrt(2), math.sin(1), math.exp(1), math.log(100, 10), math.log(8, 2), math.ult(1, -1))
show("tointeger", math.tointeger(3.0), math.tointeger(3.5), 3 | 0, 7 & 3, 7 ~ 2, 1 << 62, -1 >> 60)
show("format", string.format("%5d|%-5d|%05.1f|%x|%X|%o|%e|%g|%g|%a",
  42, 42, 3.14159, 255, 255, 8, 12345.678, 1e20, 0.0001, 1.0))
show("format q", string.format("%q", "tab\there\nnew \0 \"quoted\"\\"), string.format("%q", 1 / 3))
show("format s", string.format("%10.3s|%-10s|%c%c", "abcdef", "left", 72, 105))

-- strings
local s = "The quick brown fox jumps over the lazy dog"
show("find", s:find("quick"), s:find("o", 20), s:find("%s(%a+)$"), s:find(".", 1, true))
show("match", s:match("(%a+) (%a+)$"), ("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
show("gsub", s:gsub("o", "0"), ("hello world"):gsub("(%w+)", "<%1>"),
  ("abc"):gsub("", "-"), ("x = 1, y = 2"):gsub("(%w+) = (%w+)", "%2 = %1"))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w:upper() end
show("gmatch", table.concat(words, ","))
show("bytes", ("ABC"):byte(1, -1), string.char(76, 117, 97), ("x"):rep(3, "-"), ("abc"):reverse())
show("sub", s:sub(5, 9), s:sub(-3), s:sub(0), #s:sub(100), s:len(), s:lower():sub(1, 3))
show("pack", string.pack("<i4", 1):byte(1, -1))
show("unpack", string.unpack("<i4", "\1\0\0\0"), string.unpack(">I2", "\1\2"),
  string.packsize("i4i8"), #string.pack("z", "abc"))
show("utf8", utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), utf8.codepoint("€", 1))
show("compare", "a" < "b", "Z" < "a", "abc" < "abd", "" < "a")

-- tables
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
show("sort", table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
show("sort desc", table.concat(t, " "))
table.insert(t, 1, 100)
table.insert(t, 7)
show("insert remove", table.remove(t), table.remove(t, 1), #t, table.concat(t, ","))
show("move unpack", table.concat(table.move({1, 2, 3}, 1, 3, 2, {9}), ","), table.unpack({1, 2, 3}))
show("pack n", table.pack(1, nil, 3).n, select("#", nil, nil), select(-1, 1, 2, 3))
local keys = {}
for k in pairs({alpha = 1, beta = 2, gamma = 3}) do keys[#keys + 1] = k end
table.sort(keys)
show("pairs", table.concat(keys, " "))

-- metatables, closures, varargs, goto
local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vec) end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__len = function() return 2 end
Vec.__call = function(v, k) return v.x * k end
local a, b = setmetatable({x = 1, y = 2}, Vec), setmetatable({x = 3, y = 4}, Vec)
show("metatables", a + b, a == b, a + b == setmetatable({x = 4, y = 6}, Vec), #a, a(10))
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
c1(); c1()
show("closures", c1(), c2())
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then goto done end
  end
end
::done::
show("goto", "left the loops")
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
collectgarbage()
show("weak", next(weak) == nil, type(collectgarbage("count")))

-- errors
show("pcall", pcall(error, "plain"))
show("pcall level", pcall(function() error("with position") end))
show("pcall table", select(2, pcall(error, {code = 42})).code)
show("xpcall", xpcall(function() return nil + 1 end, function(m) return "handled: " .. m end))
show("error arith", pcall(function() local x = {} return x.y.z end))
show("load", load("return 1 +"))
show("load ok", load("return ...", "chunk", "t")(7, 8))
show("tostring nil", pcall(string.rep))
show("assert", pcall(assert, false, "assert message"), pcall(assert, 1, 2))
show("integer ops", pcall(function() return 1 // 0 end), pcall(function() return 1 % 0 end), 1.0 // 0)

-- coroutines
local gen = coroutine.wrap(function(n)
  for i = 1, n do coroutine.yield(i * i) end
  return "end"
end)
show("coroutine", gen(4), gen(), gen(), gen(), gen())
local co = coroutine.create(function() error("inside") end)
show("coroutine error", coroutine.resume(co))
show("coroutine status", coroutine.status(co), coroutine.isyieldable(), coroutine.running() ~= nil)
local co2 = coroutine.create(function(x) local y = coroutine.yield(x + 1) return y * 2 end)
show("resume", coroutine.resume(co2, 1), coroutine.resume(co2, 10), coroutine.resume(co2))

-- io and os on the file system
local path = "/tmp/lua-stdlib-test.txt"
local f = assert(io.open(path, "w"))
f:write("line one\n", 2, "\n", 3.5, "\nlast line without newline")
f:close()
local lines = {}
for line in io.lines(path) do lines[#lines + 1] = line end
show("io.lines", #lines, lines[1], lines[4])
f = assert(io.open(path, "r"))
show("read", f:read("l"), f:read("n"), f:read("n"), f:read("L"), f:read(4), f:read("a"))
show("seek", f:seek("set", 5), f:read(3), f:seek("cur"), f:seek("end"))
f:close()
show("closed", io.type(f), io.type(io.stdout), io.type(42))
f = assert(io.open(path, "a+"))
f:write("\nappended")
f:seek("set")
show("append", #f:read("a"))
f:close()
show("open missing", io.open("/tmp/no/such/file"))
show("remove", os.remove(path), os.remove(path))
show("rename", os.rename("/tmp/nothing-here", "/tmp/elsewhere"))
local tmp = os.tmpname()
show("tmpname", type(tmp), io.open(tmp) ~= nil, os.remove(tmp))
show("open mode", pcall(io.open, path, "rz"))

-- os: times given, not taken from the clock
show("os.time", os.time({year = 2024, month = 2, day = 29, hour = 12, min = 0, sec = 0, isdst = false}) ~= nil)
show("os.date", os.date("!%Y-%m-%d %H:%M:%S %A %B %j", 86400 * 365))
local d = os.date("!*t", 1000000000)
show("os.date t", d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
show("difftime", os.difftime(100, 40), type(os.clock()), os.getenv("VMOS_SURELY_UNSET"))

-- modules
show("require", pcall(require, "string") and "string found")
local ok, msg = pcall(require, "no_such_module")
show("require missing", ok, (msg:gsub("\n%s*", " | ")))
show("package", package.config:sub(1, 1), type(package.searchers), #package.searchers)
print("done")
