"""Mounted at /api/v1/cti/ ahead of the JSON API: the PBX's endpoints."""

from django.urls import path

from civicline.telephony import cti

urlpatterns = [
    path("<str:token>", cti.event, name="cti"),
    path("<str:token>/route", cti.route, name="cti-route"),
    path("<str:token>/agent", cti.agent_state, name="cti-agent"),
    path("<str:token>/transfer", cti.transfer, name="cti-transfer"),
    path("<str:token>/callback", cti.callback, name="cti-callback"),
    path("<str:token>/commands", cti.commands, name="cti-commands"),
]
