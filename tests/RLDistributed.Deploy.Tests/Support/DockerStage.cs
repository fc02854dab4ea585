namespace RLDistributed.Deploy.Tests.Support;

/// <summary>One build stage: <c>FROM image AS name</c> and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<string> Arguments(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);
}
