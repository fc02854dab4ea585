using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>Mixed_7a: the grid reduction 17×17 → 8×8, a 1×1 then strided 3×3, a factorised 7×7 then strided 3×3, and a max pool (768 → 1280 channels).</summary>
internal sealed class InceptionD : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "branch3x3_1")] private readonly BasicConv2d _branch3x3First;
    [ComponentName(Name = "branch3x3_2")] private readonly BasicConv2d _branch3x3Second;
    [ComponentName(Name = "branch7x7x3_1")] private readonly BasicConv2d _branch7x7x3First;
    [ComponentName(Name = "branch7x7x3_2")] private readonly BasicConv2d _branch7x7x3Second;
    [ComponentName(Name = "branch7x7x3_3")] private readonly BasicConv2d _branch7x7x3Third;
    [ComponentName(Name = "branch7x7x3_4")] private readonly BasicConv2d _branch7x7x3Fourth;

    /// <summary>Creates the block.</summary>
    public InceptionD(string name, long inChannels) : base(name)
    {
        _branch3x3First = new BasicConv2d("branch3x3_1", inChannels, 192, 1);
        _branch3x3Second = new BasicConv2d("branch3x3_2", 192, 320, 3, stride: 2);
        _branch7x7x3First = new BasicConv2d("branch7x7x3_1", inChannels, 192, 1);
        _branch7x7x3Second = new BasicConv2d("branch7x7x3_2", 192, 192, (1, 7), 1, (0, 3));
        _branch7x7x3Third = new BasicConv2d("branch7x7x3_3", 192, 192, (7, 1), 1, (3, 0));
        _branch7x7x3Fourth = new BasicConv2d("branch7x7x3_4", 192, 192, 3, stride: 2);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => cat(
    [
        _branch3x3Second.forward(_branch3x3First.forward(input)),
        _branch7x7x3Fourth.forward(_branch7x7x3Third.forward(_branch7x7x3Second.forward(_branch7x7x3First.forward(input)))),
        InceptionPooling.Reduce(input),
    ], 1);
}
