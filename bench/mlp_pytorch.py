# The PyTorch CPU column of W2 and W3 (bench/mlp.ts runs this with /usr/bin/python3 when torch is there):
# W2's training step (784-512-512-10, ReLU, CrossEntropyLoss, Adam, batch 64, four batches in turn) and
# W3's square matmuls, timed as the engine is (best of several rounds after a warm-up). Prints one JSON
# line: the figures, the BLAS library the process mapped, and the BLAS line of torch.__config__.show().
import json, re, sys, time
import torch
import torch.nn as nn

args = json.loads(sys.argv[1])
torch.set_num_threads(args['threads'])
torch.manual_seed(0)

def best(rounds, n, f):
    for _ in range(2): f()
    out = float('inf')
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(n): f()
        out = min(out, (time.perf_counter() - t) / n)
    return out

result = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
crit = nn.CrossEntropyLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
xs = [torch.randn(64, 784) for _ in range(4)]
ys = [torch.randint(0, 10, (64,)) for _ in range(4)]
i = [0]
def step():
    b = i[0] % 4
    i[0] += 1
    loss = crit(net(xs[b]), ys[b])
    opt.zero_grad()
    loss.backward()
    opt.step()
result['w2StepSeconds'] = best(args['rounds'], args['w2Steps'], step)
result['w3Gflops'] = {}
for n in args['w3Sizes']:
    a, b = torch.randn(n, n), torch.randn(n, n)
    result['w3Gflops'][str(n)] = 2 * n ** 3 / best(args['rounds'], args['w3Reps'], lambda: torch.mm(a, b)) / 1e9
# Which BLAS the process mapped (Debian's torch links libblas.so.3, an alternative: reference or OpenBLAS),
# and what torch was built against.
with open('/proc/self/maps') as f:
    libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line})
result['blas'] = ', '.join(libs) or 'none mapped'
config = re.findall(r'(?:BLAS_INFO|LAPACK_INFO|USE_MKLDNN|USE_OPENMP)=[^,\s]+', torch.__config__.show())
result['blasConfig'] = ', '.join(config) or 'no BLAS_INFO in torch.__config__.show()'
print(json.dumps(result))
