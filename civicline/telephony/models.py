"""Queues, agents and calls: the contact center's side of every call.

Calls are routed by civicline's own ACD (`telephony.acd`) when the PBX hands them over
through the CTI API, or by the PBX's own queues when it only reports them (Asterisk's AMI,
an imported queue_log). Either way every step is one `QueueLogEntry` in Asterisk's
queue_log shape, and the statistics are read from there.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicline.cases.models import Case
from civicline.deadlines.models import BusinessCalendar


class Strategy(models.TextChoices):
    # Asterisk's names, so a city's engineer recognises them.
    RINGALL = "ringall", _("Ring all available agents")
    LEASTRECENT = "leastrecent", _("The agent idle longest since a call")
    FEWESTCALLS = "fewestcalls", _("The agent with the fewest calls")
    RRMEMORY = "rrmemory", _("Round robin, remembering the last agent")
    LINEAR = "linear", _("In the listed order")
    RANDOM = "random", _("At random")


class ClosedAction(models.TextChoices):
    MESSAGE = "message", _("Play a message and hang up")
    VOICEMAIL = "voicemail", _("Take a voice message")
    CALLBACK = "callback", _("Offer a callback")


class Queue(models.Model):
    name = models.SlugField(
        _("name"), max_length=64, unique=True, help_text=_("As the PBX and queue_log name it.")
    )
    label = models.CharField(_("shown as"), max_length=200)
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("The number callers dial (E.164).")
    )
    strategy = models.CharField(
        _("strategy"), max_length=20, choices=Strategy.choices, default=Strategy.LEASTRECENT
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("opening hours"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: open 24/7."),
    )
    closed_action = models.CharField(
        _("when closed"), max_length=20, choices=ClosedAction.choices, default=ClosedAction.MESSAGE
    )
    closed_message = models.CharField(_("closed message"), max_length=500, blank=True)
    max_waiting = models.PositiveIntegerField(
        _("most callers waiting"), default=0, help_text=_("0: no limit.")
    )
    max_wait_s = models.PositiveIntegerField(
        _("longest wait (s)"),
        default=0,
        help_text=_("Then the caller leaves the queue. 0: no limit."),
    )
    callback_after_s = models.PositiveIntegerField(
        _("offer a callback after (s)"),
        default=0,
        help_text=_("The caller keeps their place and is called back. 0: never."),
    )
    overflow_to = models.ForeignKey(
        "self",
        verbose_name=_("overflow to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overflow_after_s = models.PositiveIntegerField(_("overflow after (s)"), default=0)
    ring_timeout_s = models.PositiveIntegerField(
        _("ring an agent for (s)"), default=15, validators=[MinValueValidator(1)]
    )
    wrapup_s = models.PositiveIntegerField(_("wrap-up time (s)"), default=10)
    service_level_s = models.PositiveIntegerField(
        _("service level threshold (s)"), default=20, validators=[MinValueValidator(1)]
    )
    # Where round robin with memory goes on from.
    last_position = models.IntegerField(default=-1, editable=False)
    # Asterisk's estimate: an exponential average of recent hold times (new counts 1/4).
    average_hold_s = models.FloatField(default=0.0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return self.label or self.name


class AgentState(models.TextChoices):
    LOGGED_OUT = "logged_out", _("Logged out")
    AVAILABLE = "available", _("Available")
    RINGING = "ringing", _("Ringing")
    ON_CALL = "on_call", _("On a call")
    WRAPUP = "wrapup", _("Wrap-up")
    PAUSED = "paused", _("Paused")


class PauseReason(models.TextChoices):
    BREAK = "break", _("Break")
    TRAINING = "training", _("Training")
    BACK_OFFICE = "back_office", _("Back-office work")


class Agent(models.Model):
    """An operator's seat on the phone: the extension the PBX rings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent"
    )
    extension = models.CharField(_("extension"), max_length=40, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AgentState.choices, default=AgentState.LOGGED_OUT
    )
    state_since = models.DateTimeField(_("since"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=20, choices=PauseReason.choices, blank=True
    )
    wrapup_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["extension"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def queue_log_name(self) -> str:
        # queue_log's agent field names the member as the PBX knows it.
        return f"PJSIP/{self.extension}"


class QueueMember(models.Model):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="members")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    penalty = models.PositiveSmallIntegerField(
        _("penalty"),
        default=0,
        validators=[MaxValueValidator(99)],
        help_text=_("Lower rings first: the agent's skill for this queue."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    logged_in = models.BooleanField(_("logged in"), default=False)
    calls_taken = models.PositiveIntegerField(default=0)
    last_call_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queue", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["queue", "agent"], name="queuemember_once")]
        verbose_name = _("queue member")
        verbose_name_plural = _("queue members")

    def __str__(self) -> str:
        return f"{self.queue.name}/{self.agent.extension}"


class AgentStateChange(models.Model):
    """Every change of an agent's state, for the wallboard's 'time in state' and the
    reports' talk, wrap-up and pause times."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="changes")
    state = models.CharField(max_length=20, choices=AgentState.choices)
    reason = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(db_index=True)
    call = models.ForeignKey("Call", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state} {self.at:%Y-%m-%d %H:%M:%S}"


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class CallState(models.TextChoices):
    WAITING = "waiting", _("Waiting in the queue")
    RINGING = "ringing", _("Ringing")
    CONNECTED = "connected", _("Connected")
    ENDED = "ended", _("Ended")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Hung up while waiting")
    TIMEOUT = "timeout", _("Waited too long")
    FULL = "full", _("Queue full")
    CLOSED = "closed", _("Closed")
    CALLBACK = "callback", _("Chose a callback")
    OVERFLOWED = "overflowed", _("Sent to another queue")
    TRANSFERRED = "transferred", _("Transferred")
    REJECTED = "rejected", _("Blocked number")
    MISSED = "missed", _("Not answered")


class Call(models.Model):
    call_id = models.CharField(_("call id"), max_length=250, unique=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    from_number = models.CharField(_("from"), max_length=40)
    to_number = models.CharField(_("to"), max_length=40)
    # The citizen's number in E.164 when it could be read: the desk finds their history.
    citizen_e164 = models.CharField(max_length=20, blank=True, db_index=True)
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    state = models.CharField(_("state"), max_length=20, choices=CallState.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # A callback keeps the place of the call that asked for it.
    callback_for = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="callback"
    )
    started_at = models.DateTimeField(_("started"), db_index=True)
    entered_queue_at = models.DateTimeField(null=True, blank=True)
    # The caller's place in line across queues (longest waiting first); a callback and an
    # overflowed call keep the place of the call they continue.
    place_since = models.DateTimeField(null=True, blank=True)
    original_position = models.PositiveIntegerField(default=0)
    ring_started_at = models.DateTimeField(null=True, blank=True)
    callback_offered = models.BooleanField(default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    hangup_cause = models.CharField(max_length=40, blank=True)
    # Asterisk's channel names (over AMI), kept with the call so a restarted connector
    # can still transfer it: the caller's leg is redirected, the agent's leg dials.
    caller_channel = models.CharField(max_length=80, blank=True)
    agent_channel = models.CharField(max_length=80, blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="calls")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["state", "place_since"], name="call_state_place")]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.call_id


class Ring(models.Model):
    """One agent's phone ringing for a call (ringall rings several at once)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rings")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="rings")
    started_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent"], name="ring_one_per_agent")]

    def __str__(self) -> str:
        return f"{self.call_id} → {self.agent_id}"


class Command(models.Model):
    """What civicline asks the PBX to do (ring an agent, stop ringing, transfer, call
    out); the PBX's bridge collects them, or the AMI connector sends them."""

    class Action(models.TextChoices):
        DIAL = "dial"
        CANCEL = "cancel"
        OFFER_CALLBACK = "offerCallback"
        HANGUP = "hangup"
        TRANSFER = "transfer"
        ORIGINATE = "originate"
        PAUSE = "pause"

    action = models.CharField(max_length=20, choices=Action.choices)
    call_id = models.CharField(max_length=250, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    taken_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.call_id}"


class QueueLogEntry(models.Model):
    """One line of Asterisk's queue_log: time|callid|queuename|agent|event|data1..5."""

    time = models.DateTimeField(db_index=True)
    call_id = models.CharField(max_length=250, db_index=True)
    queue = models.CharField(max_length=64)
    agent = models.CharField(max_length=128)
    event = models.CharField(max_length=32)
    data1 = models.CharField(max_length=250, blank=True)
    data2 = models.CharField(max_length=250, blank=True)
    data3 = models.CharField(max_length=250, blank=True)
    data4 = models.CharField(max_length=250, blank=True)
    data5 = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["time", "id"]
        indexes = [models.Index(fields=["queue", "time"], name="queuelog_queue_time")]

    def __str__(self) -> str:
        return f"{self.time:%s}|{self.call_id}|{self.queue}|{self.agent}|{self.event}"


class Callback(models.Model):
    """A citizen to call back: a missed call (hung up in the queue) or one who chose a
    callback while the line was closed."""

    class Reason(models.TextChoices):
        MISSED = "missed", _("Hung up while waiting")
        CLOSED = "closed", _("Called while closed")
        REQUESTED = "requested", _("Asked to be called back")

    number = models.CharField(_("number"), max_length=40)
    call = models.ForeignKey(Call, null=True, on_delete=models.SET_NULL, related_name="+")
    queue = models.ForeignKey(Queue, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("since"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return f"{self.number} ({self.get_reason_display()})"


class CtiToken(models.Model):
    """A PBX bridge's key to the CTI endpoint (`/api/v1/cti/<token>`), stored hashed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    blocked_numbers = models.TextField(
        _("blocked numbers"), blank=True, help_text=_("One per line (E.164); they are rejected.")
    )

    class Meta:
        verbose_name = _("CTI connection")
        verbose_name_plural = _("CTI connections")

    def __str__(self) -> str:
        return self.name
