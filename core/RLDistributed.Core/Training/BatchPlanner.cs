using RLDistributed.Core.Randomness;

namespace RLDistributed.Core.Training;

/// <summary>
/// Computes <see cref="BatchPlan"/>s: an epoch permutation of example indices (batches drop the
/// remainder, as datasets.py does), a stratified level per example (each level appears ⌊G/T⌋ or
/// ⌈G/T⌉ times in every global batch), and a flip bit per example. Caches the current epoch's
/// permutation (instance state only).
/// </summary>
public sealed class BatchPlanner(ulong seed, int globalBatch, int datasetSize, int levels, bool randomFlip)
{
    private int[]? _permutation;
    private long _permutationEpoch = -1;

    /// <summary>Steps in one pass over the data set.</summary>
    public long StepsPerEpoch { get; } = ValidateAndCountSteps(globalBatch, datasetSize, levels);

    /// <summary>The plan of step <paramref name="step"/> (0-based).</summary>
    public BatchPlan Plan(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var epoch = step / StepsPerEpoch;
        var offset = (int)(step % StepsPerEpoch) * globalBatch;
        var permutation = PermutationOf(epoch);

        var indices = new int[globalBatch];
        Array.Copy(permutation, offset, indices, 0, globalBatch);

        var levelOf = StratifiedLevels(step);
        var flips = new bool[globalBatch];
        if (randomFlip)
        {
            var flipRandom = new SplitMix64(RandomKey.For(seed, RandomPurpose.HorizontalFlip).With(step).Value);
            for (var i = 0; i < globalBatch; i++) flips[i] = (flipRandom.NextUInt64() & 1) == 1;
        }
        return new BatchPlan(step, indices, levelOf, flips);
    }

    /// <summary>Levels for the global batch in ascending order: ⌊G/T⌋ each, the remainder to levels chosen per step.</summary>
    private int[] StratifiedLevels(long step)
    {
        var counts = new int[levels];
        Array.Fill(counts, globalBatch / levels);
        var remainder = globalBatch % levels;
        if (remainder > 0)
        {
            var order = Enumerable.Range(0, levels).ToArray();
            new SplitMix64(RandomKey.For(seed, RandomPurpose.LevelRemainder).With(step).Value).Shuffle(order);
            for (var i = 0; i < remainder; i++) counts[order[i]]++;
        }
        var result = new int[globalBatch];
        var position = 0;
        for (var t = 0; t < levels; t++)
            for (var c = 0; c < counts[t]; c++) result[position++] = t;
        return result;
    }

    private int[] PermutationOf(long epoch)
    {
        if (_permutation is not null && _permutationEpoch == epoch) return _permutation;
        var permutation = Enumerable.Range(0, datasetSize).ToArray();
        new SplitMix64(RandomKey.For(seed, RandomPurpose.EpochPermutation).With(epoch).Value).Shuffle(permutation);
        _permutation = permutation;
        _permutationEpoch = epoch;
        return permutation;
    }

    private static long ValidateAndCountSteps(int globalBatch, int datasetSize, int levels)
    {
        if (globalBatch < 1) throw new ArgumentOutOfRangeException(nameof(globalBatch), globalBatch, "the global batch must be at least 1");
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "levels must be at least 1");
        if (datasetSize < globalBatch)
            throw new ArgumentOutOfRangeException(nameof(datasetSize), datasetSize, $"the data set ({datasetSize} examples) is smaller than the global batch ({globalBatch})");
        return datasetSize / globalBatch;
    }
}
