"""The translated content fields (django-modeltranslation): one column per language for each.

English is the source; Japanese and Traditional Chinese columns may be empty, and reading a
field then falls back to English (the pages say so).
"""

from modeltranslation.translator import TranslationOptions, register

from proposals.models import Actor, Proposal, ProposalGroup


@register(Proposal)
class ProposalTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("en",)


@register(Actor)
class ActorTranslationOptions(TranslationOptions):
    fields = ("name", "country")
    required_languages = ("en",)


@register(ProposalGroup)
class ProposalGroupTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
