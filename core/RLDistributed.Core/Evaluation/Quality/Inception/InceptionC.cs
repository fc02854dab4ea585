using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// Mixed_6b to 6e (pytorch-fid's FIDInceptionC), at 17×17 with 768 channels in and out: a 1×1, a factorised 7×7
/// (1×7 then 7×1), a double factorised 7×7 and a pooled 1×1, each of 192 channels; <c>channels7x7</c> is the width
/// inside the factorised branches.
/// </summary>
internal sealed class InceptionC : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "branch1x1")] private readonly BasicConv2d _branch1x1;
    [ComponentName(Name = "branch7x7_1")] private readonly BasicConv2d _branch7x7First;
    [ComponentName(Name = "branch7x7_2")] private readonly BasicConv2d _branch7x7Second;
    [ComponentName(Name = "branch7x7_3")] private readonly BasicConv2d _branch7x7Third;
    [ComponentName(Name = "branch7x7dbl_1")] private readonly BasicConv2d _branch7x7Double1;
    [ComponentName(Name = "branch7x7dbl_2")] private readonly BasicConv2d _branch7x7Double2;
    [ComponentName(Name = "branch7x7dbl_3")] private readonly BasicConv2d _branch7x7Double3;
    [ComponentName(Name = "branch7x7dbl_4")] private readonly BasicConv2d _branch7x7Double4;
    [ComponentName(Name = "branch7x7dbl_5")] private readonly BasicConv2d _branch7x7Double5;
    [ComponentName(Name = "branch_pool")] private readonly BasicConv2d _branchPool;

    /// <summary>Creates the block.</summary>
    public InceptionC(string name, long inChannels, long channels7x7) : base(name)
    {
        var c7 = channels7x7;
        (long, long) row = (1, 7), column = (7, 1), rowPadding = (0, 3), columnPadding = (3, 0);
        _branch1x1 = new BasicConv2d("branch1x1", inChannels, 192, 1);
        _branch7x7First = new BasicConv2d("branch7x7_1", inChannels, c7, 1);
        _branch7x7Second = new BasicConv2d("branch7x7_2", c7, c7, row, 1, rowPadding);
        _branch7x7Third = new BasicConv2d("branch7x7_3", c7, 192, column, 1, columnPadding);
        _branch7x7Double1 = new BasicConv2d("branch7x7dbl_1", inChannels, c7, 1);
        _branch7x7Double2 = new BasicConv2d("branch7x7dbl_2", c7, c7, column, 1, columnPadding);
        _branch7x7Double3 = new BasicConv2d("branch7x7dbl_3", c7, c7, row, 1, rowPadding);
        _branch7x7Double4 = new BasicConv2d("branch7x7dbl_4", c7, c7, column, 1, columnPadding);
        _branch7x7Double5 = new BasicConv2d("branch7x7dbl_5", c7, 192, row, 1, rowPadding);
        _branchPool = new BasicConv2d("branch_pool", inChannels, 192, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var branch7x7 = _branch7x7Third.forward(_branch7x7Second.forward(_branch7x7First.forward(input)));
        var branch7x7Double = _branch7x7Double1.forward(input);
        foreach (var layer in new[] { _branch7x7Double2, _branch7x7Double3, _branch7x7Double4, _branch7x7Double5 })
            branch7x7Double = layer.forward(branch7x7Double);
        return cat([_branch1x1.forward(input), branch7x7, branch7x7Double, _branchPool.forward(InceptionPooling.Average(input))], 1);
    }
}
