using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>Mixed_6a: the grid reduction 35×35 → 17×17, a strided 3×3, a double 3×3 and a max pool (288 → 768 channels).</summary>
internal sealed class InceptionB : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "branch3x3")] private readonly BasicConv2d _branch3x3;
    [ComponentName(Name = "branch3x3dbl_1")] private readonly BasicConv2d _branch3x3DoubleFirst;
    [ComponentName(Name = "branch3x3dbl_2")] private readonly BasicConv2d _branch3x3DoubleSecond;
    [ComponentName(Name = "branch3x3dbl_3")] private readonly BasicConv2d _branch3x3DoubleThird;

    /// <summary>Creates the block.</summary>
    public InceptionB(string name, long inChannels) : base(name)
    {
        _branch3x3 = new BasicConv2d("branch3x3", inChannels, 384, 3, stride: 2);
        _branch3x3DoubleFirst = new BasicConv2d("branch3x3dbl_1", inChannels, 64, 1);
        _branch3x3DoubleSecond = new BasicConv2d("branch3x3dbl_2", 64, 96, 3, padding: 1);
        _branch3x3DoubleThird = new BasicConv2d("branch3x3dbl_3", 96, 96, 3, stride: 2);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => cat(
    [
        _branch3x3.forward(input),
        _branch3x3DoubleThird.forward(_branch3x3DoubleSecond.forward(_branch3x3DoubleFirst.forward(input))),
        InceptionPooling.Reduce(input),
    ], 1);
}
