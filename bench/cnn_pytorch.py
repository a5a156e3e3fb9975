# The PyTorch CPU column of W4 and W5 (bench/cnn.ts runs this with /usr/bin/python3 when torch is there):
# the same LeNet-5 training step and mini ResNet forward as the engine (the generated PyTorch code of
# examples/lenet5.nnb.json and resnet_mini.nnb.json), timed the same way (best of
# several rounds after a warm-up). Prints one JSON line; 'blas' names the BLAS library torch loaded.
import json, sys, time
import torch
import torch.nn as nn

args = json.loads(sys.argv[1])
# As many threads as the engine uses (torch's default here would count physical cores only).
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

def generated(key):
    # An example document as NN Blocks generates it for PyTorch (bench/cnn.ts writes the file).
    scope = {'__name__': 'generated'}
    with open(args[key]) as f:
        exec(compile(f.read(), args[key], 'exec'), scope)
    return scope['create_model']()

result = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
net = generated('w4Code')  # examples/lenet5.nnb.json
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
crit = nn.CrossEntropyLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
def step():
    loss = crit(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
result['w4StepSeconds'] = best(args['rounds'], args['w4Steps'], step)
model = generated('w5Code').eval()  # examples/resnet_mini.nnb.json
for batch in args['w5Batches']:
    xb = torch.randn(batch, *args['w5Input'])
    with torch.no_grad():
        result[f'w5Batch{batch}Seconds'] = best(args['rounds'], args['w5Runs'], lambda: model(xb))
# Which BLAS the process mapped (Debian's torch links libblas.so.3, an alternative: reference or OpenBLAS).
with open('/proc/self/maps') as f:
    libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line})
result['blas'] = ', '.join(libs) or 'none mapped'
print(json.dumps(result))
