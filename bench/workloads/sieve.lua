-- Sieve of Eratosthenes over a table, then a checksum loop: the same
-- algorithm as sieve.stp, for bench/vm-vs-lua.
local n = tonumber(arg[1])
local composite = {}
local count = 0
for i = 2, n do
	if not composite[i] then
		count = count + 1
		for j = i * i, n, i do
			composite[j] = 1
		end
	end
end
local sum = 0
for i = 0, n - 1 do
	sum = (sum * 31 + (i ~ (i >> 3))) % 1000000007
end
print(string.format("%d %d", count, sum))
