from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from proposals.corpus import CorpusError, import_corpus, load_corpus_file


class Command(BaseCommand):
    help = "Import fixtures/corpus.toml into an empty database through the services."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "corpus.toml")
        )

    def handle(self, *args, **options):
        try:
            report = import_corpus(
                load_corpus_file(Path(options["path"])), seeds_dir=settings.SEEDS_DIR
            )
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Imported {report.sources} sources, {report.actors} actors, {report.proposals} "
            f"proposals, {report.citations} citations, {report.changes} status changes, "
            f"{report.positions} positions, {report.relations} relations and "
            f"{report.translations} translations."
        )
