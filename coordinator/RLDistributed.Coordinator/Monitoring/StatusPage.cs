namespace RLDistributed.Coordinator.Monitoring;

/// <summary>The live status page: StatusPage.html, embedded in the assembly (no build step, no files to ship).</summary>
public static class StatusPage
{
    /// <summary>The page's HTML.</summary>
    public static string Html()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("RLDistributed.Coordinator.Monitoring.StatusPage.html")
            ?? throw new InvalidOperationException("StatusPage.html is not embedded in the coordinator assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
