using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;

namespace RLDistributed.Core.Checkpoints;

/// <summary>A model read back from disk: its manifest, schedule, network and EMA network.</summary>
public sealed record LoadedModel(ModelManifest Manifest, DiffusionSchedule Schedule, EnergyNetwork Energy, EnergyNetwork Ema) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Energy.Dispose();
        Ema.Dispose();
    }
}
