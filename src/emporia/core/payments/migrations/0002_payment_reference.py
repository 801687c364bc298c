from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="reference",
            field=models.CharField(max_length=40, unique=True, default=""),
            preserve_default=False,
        ),
    ]
