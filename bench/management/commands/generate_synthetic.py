from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Fill the configured database with synthetic proposals, citations and status histories "
        "(for benchmarks). Refuses a database that holds real data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=10_000, help="How many to add.")
        parser.add_argument("--seed", type=int, default=0, help="The same seed, the same data.")
        parser.add_argument("--sources", type=int, default=synthetic.DEFAULT_SOURCES)
        parser.add_argument("--actors", type=int, default=synthetic.DEFAULT_ACTORS)
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="Add to earlier synthetic data until there are --proposals in all.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Write even into a database with real data."
        )

    def handle(self, *args, **options):
        if options["proposals"] < 0 or options["sources"] < 1 or options["actors"] < 1:
            raise CommandError("--proposals must be 0 or more, --sources and --actors 1 or more.")
        if not options["force"]:
            reason = synthetic.refusal(seeds_dir=settings.SEEDS_DIR, top_up=options["top_up"])
            if reason:
                raise CommandError(f"Refusing to generate synthetic data: {reason}")
        result = synthetic.generate(
            proposals=options["proposals"],
            seed=options["seed"],
            sources=options["sources"],
            actors=options["actors"],
            top_up=options["top_up"],
        )
        self.stdout.write(self.style.SUCCESS(f"Generated {result}."))
