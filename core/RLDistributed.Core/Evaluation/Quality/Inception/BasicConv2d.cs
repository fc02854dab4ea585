using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// Inception's unit layer, as torchvision names it: a convolution without bias, batch normalisation with ε = 0.001
/// (TensorFlow's, from which the FID weights come) and a ReLU. Parameters: <c>conv.weight</c>, <c>bn.weight</c>,
/// <c>bn.bias</c>, <c>bn.running_mean</c>, <c>bn.running_var</c>.
/// </summary>
internal sealed class BasicConv2d : nn.Module<Tensor, Tensor>
{
    private const double BatchNormEpsilon = 0.001;

    [ComponentName(Name = "conv")]
    private readonly Conv2d _conv;

    [ComponentName(Name = "bn")]
    private readonly BatchNorm2d _bn;

    /// <summary>A square kernel with equal padding on every side.</summary>
    public BasicConv2d(string name, long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        : this(name, inChannels, outChannels, (kernel, kernel), stride, (padding, padding))
    {
    }

    /// <summary>A kernel of (height, width) with padding (rows, columns), as the factorised 1×7 and 7×1 layers have.</summary>
    public BasicConv2d(string name, long inChannels, long outChannels, (long, long) kernel, long stride, (long, long) padding)
        : base(name)
    {
        _conv = nn.Conv2d(inChannels, outChannels, kernel, stride: (stride, stride), padding: padding, bias: false);
        _bn = nn.BatchNorm2d(outChannels, eps: BatchNormEpsilon);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nn.functional.relu(_bn.forward(_conv.forward(input)));
}
