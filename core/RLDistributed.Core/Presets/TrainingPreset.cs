using RLDistributed.Core.Models;
using RLDistributed.Core.Training;

namespace RLDistributed.Core.Presets;

/// <summary>A named starting point: data set, network and options, each overridable from the command line.</summary>
public sealed record TrainingPreset
{
    /// <summary>The preset's name (toy2d, mnist, fashion-mnist, cifar10).</summary>
    public required string Name { get; init; }

    /// <summary>One line for help text.</summary>
    public required string Description { get; init; }

    /// <summary>Data set name for <see cref="Data.DatasetCatalog"/>.</summary>
    public required string Dataset { get; init; }

    /// <summary>Pad 28-pixel images to 32 (MNIST-like data).</summary>
    public bool PadTo32 { get; init; }

    /// <summary>The energy network.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Method and optimiser options.</summary>
    public required TrainingOptions Training { get; init; }

    /// <summary>Write a sample picture every this many steps (0: only at the end).</summary>
    public long SampleEvery { get; init; }

    /// <summary>Samples per picture.</summary>
    public int SampleCount { get; init; } = 64;
}
