using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// AIS chains at whitened points Z: the target's log p̃ and z-gradient there, and the base's −½‖z‖², so a
/// move needs one network evaluation (at the proposal) and none for the current point.
/// </summary>
internal sealed record ChainState(Tensor Z, Tensor Target, Tensor TargetGradient, Tensor Base)
{
    /// <summary>Every tensor, to keep alive across a dispose scope.</summary>
    public Tensor[] Tensors => [Z, Target, TargetGradient, Base];

    /// <summary>f_β = (1 − β)·base + β·target per chain.</summary>
    public Tensor Path(double beta) => (1 - beta) * Base + beta * Target;

    /// <summary>∇f_β = −(1 − β)·z + β·∇target.</summary>
    public Tensor Drift(double beta) => -(1 - beta) * Z + beta * TargetGradient;

    /// <summary>Rows of <paramref name="proposal"/> where <paramref name="accept"/> holds, else of <paramref name="current"/>.</summary>
    public static ChainState Choose(Tensor accept, ChainState proposal, ChainState current)
    {
        var rows = accept.reshape(RowShape(current.Z));
        var gradientRows = accept.reshape(RowShape(current.TargetGradient));
        return new ChainState(
            where(rows, proposal.Z, current.Z),
            where(accept, proposal.Target, current.Target),
            where(gradientRows, proposal.TargetGradient, current.TargetGradient),
            where(accept, proposal.Base, current.Base));
    }

    /// <summary>Moves every tensor to the enclosing dispose scope.</summary>
    public ChainState MoveToOuterDisposeScope()
    {
        foreach (var tensor in Tensors) tensor.MoveToOuterDisposeScope();
        return this;
    }

    private static long[] RowShape(Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        return shape;
    }
}
