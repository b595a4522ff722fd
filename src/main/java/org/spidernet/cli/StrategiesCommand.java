package org.spidernet.cli;

import org.spidernet.search.SearchStrategies;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code spidernet strategies}: every search strategy on the class path with its description,
 * then the options each reads beyond the shared ones, with their defaults without and with a
 * device.
 */
@Command(name = "strategies", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "List the search strategies (search --strategy NAME), their options and their CPU and GPU defaults.")
final class StrategiesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        List<SearchStrategy> all = SearchStrategies.all();
        CommandLine.Model.CommandSpec search = new CommandLine(new SearchCommand()).getCommandSpec();
        TextTable strategies = new TextTable(List.of("strategy", "description"), 2);
        for (SearchStrategy s : all) {
            strategies.addRow(List.of(s.name(), s.description()));
        }
        TextTable options = new TextTable(List.of("strategy", "option", "CPU default", "GPU default", "description"), 5);
        for (SearchStrategy s : all) {
            if (s.options().isEmpty()) {
                options.addRow(List.of(s.name(), "(none)", "", "", "only the shared search options"));
            }
            for (StrategyOption o : s.options()) {
                String flag = SearchCommand.hasOwnFlag(search, o) ? "--" + o.name() : "--option " + o.name() + "=";
                options.addRow(List.of(s.name(), flag, o.cpuDefault(), o.gpuDefault(), o.description()));
            }
        }
        System.out.print(strategies.render());
        System.out.println();
        System.out.print(options.render());
        System.out.println();
        System.out.println("shared by every strategy: the budget (--memory, --iterations, --epochs-per-iteration), "
                + "training, data and --seed; see spidernet search --help");
        return 0;
    }
}
