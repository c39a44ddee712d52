import time
t = time.perf_counter()
i = 0
s = 0
while i < 10000000:
    s = s + i * 2 % 7
    i += 1
print("loop", s, time.perf_counter() - t)
