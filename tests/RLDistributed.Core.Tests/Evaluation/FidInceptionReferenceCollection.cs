namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>The test classes that share one run of the reference script (<see cref="FidInceptionReference"/>).</summary>
[CollectionDefinition(Name)]
public sealed class FidInceptionReferenceCollection : ICollectionFixture<FidInceptionReference>
{
    public const string Name = "FID Inception reference";
}
