using SeqRec.Cli;

return AllocatorRelauncher.RelaunchIfNeeded(args) ?? CliApp.Run(args, Console.Out, Console.Error);
