using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>
/// Mixed_7b and 7c at 8×8 (pytorch-fid's FIDInceptionE_1 and FIDInceptionE_2): a 1×1 (320), a 1×1 split into 1×3 and
/// 3×1 (768), a 3×3 split the same way (768) and a pooled 1×1 (192), 2048 channels in all. Mixed_7b pools by
/// average, Mixed_7c by max, as the TensorFlow graph of the FID weights does.
/// </summary>
internal sealed class InceptionE : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "branch1x1")] private readonly BasicConv2d _branch1x1;
    [ComponentName(Name = "branch3x3_1")] private readonly BasicConv2d _branch3x3First;
    [ComponentName(Name = "branch3x3_2a")] private readonly BasicConv2d _branch3x3Row;
    [ComponentName(Name = "branch3x3_2b")] private readonly BasicConv2d _branch3x3Column;
    [ComponentName(Name = "branch3x3dbl_1")] private readonly BasicConv2d _branch3x3DoubleFirst;
    [ComponentName(Name = "branch3x3dbl_2")] private readonly BasicConv2d _branch3x3DoubleSecond;
    [ComponentName(Name = "branch3x3dbl_3a")] private readonly BasicConv2d _branch3x3DoubleRow;
    [ComponentName(Name = "branch3x3dbl_3b")] private readonly BasicConv2d _branch3x3DoubleColumn;
    [ComponentName(Name = "branch_pool")] private readonly BasicConv2d _branchPool;
    private readonly bool _maxPool;

    /// <summary>Creates the block; <paramref name="maxPool"/> selects Mixed_7c's pool.</summary>
    public InceptionE(string name, long inChannels, bool maxPool) : base(name)
    {
        (long, long) row = (1, 3), column = (3, 1), rowPadding = (0, 1), columnPadding = (1, 0);
        _maxPool = maxPool;
        _branch1x1 = new BasicConv2d("branch1x1", inChannels, 320, 1);
        _branch3x3First = new BasicConv2d("branch3x3_1", inChannels, 384, 1);
        _branch3x3Row = new BasicConv2d("branch3x3_2a", 384, 384, row, 1, rowPadding);
        _branch3x3Column = new BasicConv2d("branch3x3_2b", 384, 384, column, 1, columnPadding);
        _branch3x3DoubleFirst = new BasicConv2d("branch3x3dbl_1", inChannels, 448, 1);
        _branch3x3DoubleSecond = new BasicConv2d("branch3x3dbl_2", 448, 384, 3, padding: 1);
        _branch3x3DoubleRow = new BasicConv2d("branch3x3dbl_3a", 384, 384, row, 1, rowPadding);
        _branch3x3DoubleColumn = new BasicConv2d("branch3x3dbl_3b", 384, 384, column, 1, columnPadding);
        _branchPool = new BasicConv2d("branch_pool", inChannels, 192, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var branch3x3 = _branch3x3First.forward(input);
        var branch3x3Double = _branch3x3DoubleSecond.forward(_branch3x3DoubleFirst.forward(input));
        var pooled = _maxPool ? InceptionPooling.SameSizeMax(input) : InceptionPooling.Average(input);
        return cat(
        [
            _branch1x1.forward(input),
            _branch3x3Row.forward(branch3x3), _branch3x3Column.forward(branch3x3),
            _branch3x3DoubleRow.forward(branch3x3Double), _branch3x3DoubleColumn.forward(branch3x3Double),
            _branchPool.forward(pooled),
        ], 1);
    }
}
