"""torch.hub's entry points for cifar_resnet: the spec's network, untrained or with the weights that ship with the library.

    model = torch.hub.load('cifar-resnet/cifar_resnet', 'custom_resnet', pretrained=True)
    model = torch.hub.load('path/to/a/checkout', 'custom_resnet', source='local', pretrained=True)   # offline

The model takes RGB images scaled to [0, 1], `(N, 3, 32, 32)`, and normalises them itself. The entry point is written and
tested with the rest of the library in nbs/05_predict.ipynb ("Load it anywhere").
"""
dependencies = ['torch', 'numpy', 'PIL', 'safetensors', 'tqdm']   # what importing cifar_resnet.predict needs

from cifar_resnet.predict import custom_resnet
__all__ = ['custom_resnet']
