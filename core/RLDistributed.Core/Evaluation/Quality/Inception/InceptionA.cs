using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// Mixed_5b, 5c and 5d (pytorch-fid's FIDInceptionA): 1×1, 5×5 and double 3×3 branches and a pooled 1×1, concatenated
/// to 224 + <c>poolFeatures</c> channels.
/// </summary>
internal sealed class InceptionA : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "branch1x1")] private readonly BasicConv2d _branch1x1;
    [ComponentName(Name = "branch5x5_1")] private readonly BasicConv2d _branch5x5First;
    [ComponentName(Name = "branch5x5_2")] private readonly BasicConv2d _branch5x5Second;
    [ComponentName(Name = "branch3x3dbl_1")] private readonly BasicConv2d _branch3x3DoubleFirst;
    [ComponentName(Name = "branch3x3dbl_2")] private readonly BasicConv2d _branch3x3DoubleSecond;
    [ComponentName(Name = "branch3x3dbl_3")] private readonly BasicConv2d _branch3x3DoubleThird;
    [ComponentName(Name = "branch_pool")] private readonly BasicConv2d _branchPool;

    /// <summary>Creates the block.</summary>
    public InceptionA(string name, long inChannels, long poolFeatures) : base(name)
    {
        _branch1x1 = new BasicConv2d("branch1x1", inChannels, 64, 1);
        _branch5x5First = new BasicConv2d("branch5x5_1", inChannels, 48, 1);
        _branch5x5Second = new BasicConv2d("branch5x5_2", 48, 64, 5, padding: 2);
        _branch3x3DoubleFirst = new BasicConv2d("branch3x3dbl_1", inChannels, 64, 1);
        _branch3x3DoubleSecond = new BasicConv2d("branch3x3dbl_2", 64, 96, 3, padding: 1);
        _branch3x3DoubleThird = new BasicConv2d("branch3x3dbl_3", 96, 96, 3, padding: 1);
        _branchPool = new BasicConv2d("branch_pool", inChannels, poolFeatures, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => cat(
    [
        _branch1x1.forward(input),
        _branch5x5Second.forward(_branch5x5First.forward(input)),
        _branch3x3DoubleThird.forward(_branch3x3DoubleSecond.forward(_branch3x3DoubleFirst.forward(input))),
        _branchPool.forward(InceptionPooling.Average(input)),
    ], 1);
}
