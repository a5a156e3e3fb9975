# The PyTorch CPU column of W4 and W5 (bench/cnn.ts runs this with /usr/bin/python3 when torch is there):
# the same LeNet-5 training step and mini ResNet forward as the engine, timed the same way (best of
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

def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.proj is None else self.proj(x)))

def resnet():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                         Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))

result = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
net = lenet()
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
model = resnet().eval()
for batch in args['w5Batches']:
    xb = torch.randn(batch, 3, 32, 32)
    with torch.no_grad():
        result[f'w5Batch{batch}Seconds'] = best(args['rounds'], args['w5Runs'], lambda: model(xb))
# Which BLAS the process mapped (Debian's torch links libblas.so.3, an alternative: reference or OpenBLAS).
with open('/proc/self/maps') as f:
    libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line})
result['blas'] = ', '.join(libs) or 'none mapped'
print(json.dumps(result))
