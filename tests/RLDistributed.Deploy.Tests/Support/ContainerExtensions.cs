using k8s.Models;

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>Reads a container's settings the way the process will see them.</summary>
internal static class ContainerExtensions
{
    /// <summary>The literal value of an environment variable; fails when it is missing or comes from a reference.</summary>
    public static string Env(this V1Container container, string name)
    {
        var variable = Assert.Single(container.Env ?? [], e => e.Name == name);
        return variable.Value ?? throw new Xunit.Sdk.XunitException($"{container.Name}: {name} has no literal value");
    }

    public static bool HasEnv(this V1Container container, string name) => container.Env?.Any(e => e.Name == name) == true;

    /// <summary>The container port a named or numbered probe port points at.</summary>
    public static int PortNumber(this V1Container container, IntOrString port) =>
        int.TryParse(port.Value, out var number)
            ? number
            : Assert.Single(container.Ports, p => p.Name == port.Value).ContainerPort;
}
