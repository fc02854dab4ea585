namespace RLDistributed.Cli.Evaluation;

/// <summary>One number of an evaluation, as the table shows it and the JSON holds it.</summary>
/// <param name="Name">What was measured, e.g. "test NLL".</param>
/// <param name="Value">The estimate (null when it could not be computed; <paramref name="Note"/> says why).</param>
/// <param name="StandardError">Its standard error where the method gives one.</param>
/// <param name="Unit">nats, bits/dim, …; empty for plain numbers.</param>
/// <param name="Note">How it was computed, or why it is missing.</param>
public sealed record EvaluationFigure(string Name, double? Value, double? StandardError, string Unit, string Note);
