using BenchmarkDotNet.Running;

// Every benchmark class in this assembly, chosen with --filter (see README in bench/).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
