namespace RLDistributed.Deploy.Tests.Support;

/// <summary>One Dockerfile instruction, continuation lines joined: <c>RUN dotnet restore …</c>.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments);
